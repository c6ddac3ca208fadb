app_name = "roadmaps"

urlpatterns: list = []
