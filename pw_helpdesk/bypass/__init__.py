"""Line-protocol front end for the bypass detector: `python -m pw_helpdesk.bypass`."""
