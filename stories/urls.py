from stories.views import concern, story

app_name = "stories"
urlpatterns = [*story.urlpatterns, *concern.urlpatterns]
