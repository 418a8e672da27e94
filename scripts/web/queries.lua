-- wrk script: cycle through a fixed set of searches (HTML pages with facets and snippets).
local queries = {
  "q=oil", "q=oil+prices", "q=%22crude+oil%22", "q=trade+deficit", "q=bank&sort=date",
  "q=cocoa", "q=opec+output&collapse=1", "q=japan+trade+surplus", "q=interest+rates&source=reuters",
  "q=gold&since=1987-03&until=1987-06", "q=trafficking", "q=Diaz-Canel",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/morgue.cgi?" .. queries[(i % #queries) + 1])
end
