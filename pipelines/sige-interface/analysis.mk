# Slab profiles along z; interface-resistance fits leave out 100 nm next to walls and the interface.
ANALYZE_OPTIONS := --binning slab-z --bins 40 --tir-margin "100 nm" --energy-bins 24
