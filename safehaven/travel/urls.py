"""Every URL of travel, under the case it belongs to (``/staff/cases/<id>/…``). Each feature
package (``pathways``, ``documents``, ``planner``, ``saved_routes``) adds its views here."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
