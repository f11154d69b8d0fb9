// The customer's suspension, where agents work.
frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (frm.doc.pw_customer_suspended) {
			frm.dashboard.set_headline_alert(
				__("This customer's accounting support is suspended pending compliance review."),
				"red"
			);
		}
	},
});
