app_name = "exports"

urlpatterns = []
