"""URLs: the web workbench, its JSON API and the admin."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "政府信息公开工作管理"
admin.site.site_title = "政府信息公开工作管理"
admin.site.index_title = "办公室台账"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.office.api.urls")),
    path("", include("gongkai.office.web.urls")),
]
