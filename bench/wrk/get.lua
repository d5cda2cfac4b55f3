-- A plain GET of the URL given on the command line, with error accounting.
dofile(os.getenv("WRK_LIB") .. "/report.lua")
