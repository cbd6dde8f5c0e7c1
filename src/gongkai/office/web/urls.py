"""URLs of the workbench (the browser tests and the load bench rely on these paths)."""

from django.urls import path

from .views import accounts, appeals, applications, audit, dashboard, fees, proactive, reports, supervise

app_name = "web"

urlpatterns = [
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("", dashboard.dashboard, name="dashboard"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/event/", applications.application_event, name="application_event"),
    path("applications/<int:pk>/reply/", applications.application_reply, name="application_reply"),
    path("applications/<int:pk>/letter/", applications.application_letter, name="application_letter"),
    path("proactive/", proactive.proactive, name="proactive"),
    path("proactive/<int:pk>/documents/", proactive.proactive_documents, name="proactive_documents"),
    path("proactive/<int:pk>/article20/", proactive.proactive_article20, name="proactive_article20"),
    path("appeals/", appeals.appeal_list, name="appeals"),
    path("appeals/new/", appeals.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("fees/", fees.fees, name="fees"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/build/", reports.report_build_any, name="report_build_any"),
    path("reports/<int:pk>/<int:year>/", reports.report_page, name="report"),
    path("reports/<int:pk>/<int:year>/build/", reports.report_build, name="report_build"),
    path("reports/<int:pk>/save/", reports.report_save, name="report_save"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/lock/", reports.report_lock, name="report_lock"),
    path("reports/<int:pk>/export/<str:fmt>/", reports.report_export, name="report_export"),
    path("supervise/", supervise.supervise, name="supervise"),
    path("supervise/upload/", supervise.supervise_upload, name="supervise_upload"),
    path("supervise/aggregate/<int:year>/", supervise.supervise_aggregate, name="supervise_aggregate"),
    path("audit/", audit.audit, name="audit"),
]
