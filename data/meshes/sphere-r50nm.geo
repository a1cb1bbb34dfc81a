// Sphere of radius 50 with tetrahedra of size <= 20; coordinates in nanometres (read with unit "nm").
// Regenerate: gmsh -3 -format msh41 -o sphere-r50nm.msh sphere-r50nm.geo
SetFactory("OpenCASCADE");
Sphere(1) = {0, 0, 0, 50};
Physical Volume("particle", 1) = {1};
Physical Surface("surface", 1) = {1};
Mesh.CharacteristicLengthMax = 20;
Mesh.ElementOrder = 1;
