from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self):
        from monitoring.services.recommendations import register_recommendation_drafter
        from schools.panels import register_dashboard_panel, register_school_panel, register_task_source

        from .panels import dashboard_deadlines_panel, school_roadmaps_panel, tasks
        from .services.findings import recommendation_draft_from_card

        register_dashboard_panel(40, dashboard_deadlines_panel)
        register_school_panel(40, school_roadmaps_panel)
        register_task_source(tasks)
        register_recommendation_drafter(recommendation_draft_from_card)
