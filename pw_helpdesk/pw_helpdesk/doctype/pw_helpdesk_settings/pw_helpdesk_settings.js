frappe.ui.form.on("PW Helpdesk Settings", {});
