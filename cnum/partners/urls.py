from django.urls import path
from oauth2_provider.views import JwksInfoView

from cnum.partners.views import admin, oidc

app_name = "partners"

urlpatterns = [
    path(".well-known/openid-configuration", oidc.discovery, name="discovery"),
    path("jwks/", JwksInfoView.as_view(), name="jwks"),
    path("authorize/", oidc.authorize, name="authorize"),
    path("token/", oidc.TokenView.as_view(), name="token"),
    path("userinfo/", oidc.UserInfoView.as_view(), name="userinfo"),
    path("services/", admin.service_list, name="service_list"),
    path("services/<int:pk>/", admin.service_detail, name="service_detail"),
    path("services/<int:pk>/modifier/", admin.service_edit, name="service_edit"),
    path("services/<int:pk>/secret/", admin.service_secret, name="service_secret"),
]
