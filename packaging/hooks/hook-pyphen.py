"""pyphen: textstat counts syllables with the English hyphenation dictionaries only
(letters are in English); the other ~80 languages stay out of the bundle."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("pyphen", includes=["dictionaries/hyph_en*.dic"])
