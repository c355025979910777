"""The checks of the records against the norms.

``desktop.checks.runner.run_checks`` runs them; each rule lives in the module
named for what it checks (beds, ratios, tcm, network, village_doctors, ...).
"""

# The tables the checks read (their history rows aside): an action that wrote none of them leaves a period's
# findings as they were. tests/ui/test_page_reads.py holds the checks to it. Said here, with no import, because
# the window's first page needs it before SQLAlchemy is loaded.
READS = frozenset(
    {
        "division_populations", "divisions", "facilities", "facility_equipment", "indicators", "key_tasks",
        "norm_rules", "norm_versions", "plans", "project_updates", "projects", "service_areas", "special_funds",
        "staff", "staff_loans", "task_updates", "trainings",
    }
)  # fmt: skip
