"""Reads for pages, admin and Slack (one module per concept)."""

# The generation of the story cards kept drawn (portal/fragments.py): a card shows the names of
# departments, touchpoints and tags and an image, which its own key does not name (they are not
# read when the card is kept); stories/signals.py starts a new generation when one changes.
FRAGMENTS = "stories"
