from setuptools import find_packages, setup

with open("requirements.txt") as f:
	install_requires = [line.strip() for line in f if line.strip() and not line.startswith("#")]

from pw_helpdesk import __version__ as version

setup(
	name="pw_helpdesk",
	version=version,
	description="Support desk of a telecom-compliance firm on ERPNext's Issue",
	author="Performance West",
	author_email="dev@performancewest.net",
	packages=find_packages(exclude=("tests", "tests.*")),
	zip_safe=False,
	include_package_data=True,
	install_requires=install_requires,
)
