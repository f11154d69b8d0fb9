frappe.query_reports["Mailbox Health"] = { filters: [] };
