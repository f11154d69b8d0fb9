// Compliance: agents see a suspended customer at once; reviewers lift the suspension with a reason.
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (!frm.doc.pw_accounting_suspended) return;
		frm.dashboard.set_headline_alert(
			__("Accounting support suspended pending compliance review: {0}", [frm.doc.pw_suspension_reason || ""]),
			"red"
		);
		if (frappe.user.has_role(["PW Compliance Admin", "System Manager"])) {
			frm.add_custom_button(__("Lift accounting suspension"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					({ reason }) =>
						frappe
							.call("pw_helpdesk.compliance.api.lift_suspension", { customer: frm.doc.name, reason })
							.then(() => frm.reload_doc()),
					__("Lift accounting suspension")
				);
			});
		}
	},
});
