"""HTTP edges of the website ticket method: CORS for the configured origins, Retry-After, clean 4xx."""

import json

import frappe

TICKET_PATH = "/api/method/pw_helpdesk.api.create_ticket"


class TicketFieldError(frappe.ValidationError):
	http_status_code = 400


class UnsupportedMediaType(frappe.ValidationError):
	http_status_code = 415


class MethodNotAllowed(frappe.ValidationError):
	http_status_code = 405


class TooManyTickets(frappe.TooManyRequestsError):
	http_status_code = 429


ACCEPTED_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def check_request() -> None:
	"""Refuse what is not a form or JSON POST in UTF-8, before any field is read."""
	request = frappe.request
	if request.method != "POST":
		frappe.local.pw_allow = "POST, OPTIONS"
		fail(MethodNotAllowed, "method", "use POST")
	if request.mimetype not in ACCEPTED_TYPES:
		fail(
			UnsupportedMediaType,
			"content_type",
			f"must be application/json or form data, not {request.mimetype or 'none'}",
		)
	try:
		request.get_data().decode("utf-8")
	except UnicodeDecodeError:
		field_error("body", "must be UTF-8")


def fail(exc: type[Exception], field: str, message: str) -> None:
	"""Answer with `exc`'s status and a JSON body naming the field: {"field": ..., "message": ...}."""
	frappe.local.response["field"] = field
	frappe.local.response["message"] = f"{field}: {message}"
	frappe.throw(f"{field}: {message}", exc, title=field)


def field_error(field: str, message: str) -> None:
	fail(TicketFieldError, field, message)


def allowed_origins() -> set[str]:
	from pw_helpdesk.pw_helpdesk.doctype.pw_helpdesk_settings.pw_helpdesk_settings import (
		get_settings,
		split_lines,
	)

	return {o.rstrip("/") for o in split_lines(get_settings().allowed_origins)}


def after_request(response, request) -> None:
	"""`after_request` hook. Touches only the ticket method's responses."""
	if request.path != TICKET_PATH or response is None:
		return
	origin = request.headers.get("Origin")
	if origin and origin in allowed_origins():
		response.headers["Access-Control-Allow-Origin"] = origin
		response.headers["Vary"] = "Origin"
		if request.method == "OPTIONS":
			response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
			response.headers["Access-Control-Allow-Headers"] = "Content-Type, Idempotency-Key"
			response.headers["Access-Control-Max-Age"] = "600"
	if retry_after := getattr(frappe.local, "pw_retry_after", None):
		response.headers["Retry-After"] = str(retry_after)
	if allow := getattr(frappe.local, "pw_allow", None):
		response.headers["Allow"] = allow
	if response.status_code >= 500 or response.status_code == 417:
		_explain_unparsed_body(response, request)


def _explain_unparsed_body(response, request) -> None:
	"""Frappe parses the body before our method runs: a broken JSON body or a wrongly typed argument
	would surface as 500/417. Answer 400 naming the field instead."""
	field, message = None, None
	try:
		body = request.get_data()
		body.decode("utf-8")
		if request.is_json and body:
			json.loads(body)
	except UnicodeDecodeError:
		field, message = "body", "must be UTF-8"
	except ValueError:
		field, message = "body", "is not valid JSON"
	if not field:
		try:
			payload = json.loads(response.get_data())
		except ValueError:
			return
		if payload.get("exc_type") != "FrappeTypeError":
			return
		field, message = "arguments", "every field must be a string"
	response.status_code = 400
	response.set_data(
		json.dumps({"exc_type": "TicketFieldError", "field": field, "message": f"{field}: {message}"})
	)
	response.mimetype = "application/json"
