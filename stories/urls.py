from stories.views import concern, story, triage, voice

app_name = "stories"
urlpatterns = [
    *story.urlpatterns,
    *triage.urlpatterns,
    *concern.urlpatterns,
    *voice.urlpatterns,
]
