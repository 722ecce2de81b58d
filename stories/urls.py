from stories.views import concern, story, triage

app_name = "stories"
urlpatterns = [*story.urlpatterns, *triage.urlpatterns, *concern.urlpatterns]
