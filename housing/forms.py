"""The view of the dashboard's map a browser asks for: its box and zoom, validated."""

from __future__ import annotations

from django import forms

from housing.map_grid import MAX_ZOOM, BoundingBox


class MapViewForm(forms.Form):
    """`bbox` as Leaflet writes it ("west,south,east,north", in degrees) and `zoom`, the
    map's zoom level (fractional when the map snaps to quarters)."""

    bbox = forms.CharField(max_length=200)
    zoom = forms.FloatField(min_value=0, max_value=MAX_ZOOM)

    def clean_bbox(self) -> BoundingBox:
        try:
            return BoundingBox.parse(self.cleaned_data["bbox"])
        except ValueError as error:
            raise forms.ValidationError(f"The box must be {error}.") from None
