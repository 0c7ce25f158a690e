"""Counsellor web console (issue 6): server-rendered Starlette + Jinja2, served by uvicorn (`make console`)."""
