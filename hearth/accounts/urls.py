from django.urls import path

from hearth.accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/<uuid:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("security-policy/", views.security_policy, name="security_policy"),
]
