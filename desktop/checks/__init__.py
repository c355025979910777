"""The checks of the records against the norms.

``desktop.checks.runner.run_checks`` runs them; each rule lives in the module
named for what it checks (beds, ratios, tcm, network, village_doctors, ...).
"""
