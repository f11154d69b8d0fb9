frappe.ui.form.on("PW Bypass Flag", {
	refresh(frm) {
		if (frm.doc.review_outcome === "Pending Review") {
			frm.add_custom_button(__("Mark as false positive"), () => {
				frappe.prompt(
					{ fieldname: "notes", fieldtype: "Small Text", label: __("Why"), reqd: 1 },
					({ notes }) =>
						frappe
							.call("pw_helpdesk.compliance.api.mark_false_positive", { flag: frm.doc.name, notes })
							.then(() => frm.reload_doc()),
					__("Mark as false positive")
				);
			});
			frm.add_custom_button(__("Confirm"), () =>
				frappe
					.call("pw_helpdesk.compliance.api.confirm_flag", { flag: frm.doc.name })
					.then(() => frm.reload_doc())
			);
		}
	},
});
