"""Suspensions that refuse portal actions. The compliance monitor fills this in; until then, none."""


def check_portal_reply_allowed(issue: str) -> None:
	return None


def check_new_issue_allowed(customer: str | None, issue_type: str) -> None:
	return None
