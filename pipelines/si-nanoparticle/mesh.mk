# Geometry of the particle (changing this file remakes the mesh, the solve and everything after).
RADIUS := 100 nm
MESH_SIZE := 14 nm
