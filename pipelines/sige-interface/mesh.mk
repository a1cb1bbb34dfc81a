# A column through the bilayer: lateral faces are periodic, so one cell across is the infinite bilayer.
CELLS := 1 1 80
LENGTHS := 25 25 1000 nm
SPLIT := 500 nm
