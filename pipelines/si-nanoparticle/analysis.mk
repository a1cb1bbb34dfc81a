# Binning of the products (changing this file reruns analyze and the figures only).
ANALYZE_OPTIONS := --binning radial --bins 12 --center "0 0 0 nm" --radius "$(RADIUS)" --energy-bins 24
