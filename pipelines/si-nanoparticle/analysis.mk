# Binning of the products (changing this file reruns analyze and the figures only).
ANALYZE_OPTIONS := --binning radial --bins 12 --center "0 0 0 nm" --radius "100 nm" --energy-bins 24
