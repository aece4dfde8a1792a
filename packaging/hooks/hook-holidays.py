"""holidays: only England and Wales' bank holidays are used, through
``country_holidays("GB", subdiv="ENG")``, which loads the country module by name.

The package ships every country (and ~750 translation files); the bundle keeps the United
Kingdom's module, its translations and the package metadata (the bank-holiday cache file is
named after the package's version).
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

hiddenimports = ["holidays.countries.united_kingdom"]
datas = collect_data_files("holidays", includes=["locale/*/LC_MESSAGES/GB.mo"]) + copy_metadata(
    "holidays"
)
