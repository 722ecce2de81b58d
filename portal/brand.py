"""The portal's face before sign-in: the mascot, served on its own without opening media."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.models import PortalSettings

# The sizes the pages draw it at; nothing else can be asked for, so this door serves one
# picture in a few sizes and no other upload.
MASCOT_SIZES = {"small": "fill-80x80", "large": "fill-160x160"}


@login_not_required
@require_GET
@cache_control(public=True, max_age=3600)
def mascot(request: HttpRequest, size: str = "small") -> FileResponse:
    spec = MASCOT_SIZES.get(size)
    image = PortalSettings.for_request(request).mascot_image if spec else None
    if image is None:
        raise Http404
    rendition = image.get_rendition(spec)
    content_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    return FileResponse(rendition.file.open("rb"), content_type=content_type)
