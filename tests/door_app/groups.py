from portal.groups import CX_TEAM

# A permission no admin view checks, so that the other tests' rights stay as they are.
GROUP_PERMISSIONS = {CX_TEAM: ["contenttypes.view_contenttype"]}
