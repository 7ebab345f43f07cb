app_name = "allocation"

urlpatterns = []
