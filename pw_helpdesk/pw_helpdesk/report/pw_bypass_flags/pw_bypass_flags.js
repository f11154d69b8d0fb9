frappe.query_reports["PW Bypass Flags"] = { filters: [] };
