"""The static review: discovery, per-file analysis, project linking, rules, verdicts, reports."""
