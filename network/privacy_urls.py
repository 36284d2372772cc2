from django.urls import path

from .views import privacy

app_name = "privacy"

urlpatterns = [
    path("", privacy.my_data, name="my_data"),
    path("archive/", privacy.my_data_download, name="download"),
    path("supprimer-mon-compte/", privacy.account_erase, name="erase"),
]
