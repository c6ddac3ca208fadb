from django import forms

from schools.forms import SchoolYearField

from .defaults import DEFAULT_CLUSTER_SCOPE
from .models import LIST_RULE_FIELDS, Indicator, MethodologyRules, StatusOverride, TeacherLevelRules
from .selectors import result_years


def change_reason_field() -> forms.CharField:
    """Why a rules version is saved (an order, a protocol, a decision): kept as the version's comment."""
    return forms.CharField(
        label="Основание изменения (приказ, протокол, решение)", widget=forms.Textarea(attrs={"rows": 2})
    )


class RulesForm(forms.ModelForm):
    """The rules of a version (valid from a year) plus one weight per index indicator."""

    comment = change_reason_field()

    class Meta:
        model = MethodologyRules
        fields = [
            "valid_from",
            "cluster_scope",
            *LIST_RULE_FIELDS,
            "lowered_threshold",
            "raised_threshold",
            "mismatch_threshold",
            "objectivity_min_participants",
            "objectivity_min_rows",
            "high_band_share",
            "high_band_ratio",
            "high_band_group",
            "kdr_gap",
            "medal_unconfirmed_share",
            "objectivity_list_markers",
            "comment",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a form sent without the field (an older page or client) keeps the version's population
        self.fields["cluster_scope"].required = False
        self.fields["comment"].initial = ""
        self.initial["comment"] = ""
        weights = self.instance.weights or {}
        for indicator in Indicator.objects.exclude(index=""):
            self.fields[f"weight_{indicator.code}"] = forms.DecimalField(
                label=f"Вес: {indicator.short_name} ({indicator.get_index_display()})",
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=weights.get(indicator.code, 1),
            )

    def clean_cluster_scope(self) -> str:
        return self.cleaned_data.get("cluster_scope") or self.instance.cluster_scope or DEFAULT_CLUSTER_SCOPE

    def clean(self):
        data = super().clean()
        small, large = data.get("size_edge_small"), data.get("size_edge_large")
        if small is not None and large is not None and small >= large:
            self.add_error("size_edge_large", "Граница крупных школ должна быть больше границы малых.")
        return data

    def weights(self) -> dict:
        return {
            name[len("weight_") :]: float(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("weight_")
        }


class StatusOverrideForm(forms.ModelForm):
    class Meta:
        model = StatusOverride
        fields = ["list_kind", "decision", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class ComputeForm(forms.Form):
    year = SchoolYearField(
        label="Учебный год для расчёта",
        years=result_years,
        help_text="Годы, за которые загружены результаты.",
    )


class TeacherBandsForm(forms.ModelForm):
    """The level bands of the teachers' diagnostics from a year (a new year makes a new version)."""

    comment = change_reason_field()

    class Meta:
        model = TeacherLevelRules
        fields = ["valid_from", "medium_from", "high_from"]
        help_texts = {"valid_from": "Например, 2025 — с 2025/2026 учебного года."}
