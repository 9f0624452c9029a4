from django.contrib import admin

from .models import Municipality, Region, WellbeingCounty


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "name_en"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(WellbeingCounty)
class WellbeingCountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "kind"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "language_status", "region", "wellbeing_county"]
    list_filter = ["language_status", "wellbeing_county"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
