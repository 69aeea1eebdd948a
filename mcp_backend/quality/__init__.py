"""The quality loop: lint, format check, type check, security review and tests, in parallel.

Entry point: `run_quality_loop(LoopRequest, on_progress) -> LoopReport` in `engine`.
"""
