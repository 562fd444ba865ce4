"""What operators run and watch: `/healthz` and `/metrics`, logs, retention, the lead role.

May import `storage`, `bot.config` and the delivery outcome names it counts; handlers never.
"""
