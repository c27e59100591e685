"""The missed check-in alarm: one alert row per missed check-in (or per check-in that raised
it), e-mails that name nothing, escalation along the on-call rota, audited acknowledgement."""
