from __future__ import annotations

app_name = "cities"

urlpatterns: list = []
