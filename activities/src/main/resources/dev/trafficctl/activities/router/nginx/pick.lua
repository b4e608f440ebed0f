-- This request's version: the first routing rule whose header names one of its pools, else,
-- with segments, the outside version for a request whose segment header is not listed, else the
-- client's sticky version while its weight is above 0, else one drawn in proportion to the
-- weights: math.random(total) against the running sum, so a weight of w out of 100 is a
-- probability of exactly w/100. Names match exactly, case-sensitively: pools and values are sets.
site.weights()
local rules = site.rules
local chosen
for _, rule in ipairs(rules.matches) do
  local value = ngx.var[rule.variable]
  if value ~= nil and rule.pools[value] then
    chosen = value
    break
  end
end
local segments = rules.segments
if chosen == nil and segments ~= nil then
  local value = ngx.var[segments.variable]
  if value == nil or not segments.values[value] then
    chosen = segments.outside
  end
end
if chosen == nil and rules.sticky ~= nil then
  local sticky = ngx.var[rules.sticky.variable]
  if sticky ~= nil and (site.by[sticky] or 0) > 0 then
    chosen = sticky
  end
end
if chosen == nil and site.total > 0 then
  local draw, sum = math.random(site.total), 0
  for _, version in ipairs(site.order) do
    sum = sum + (site.by[version] or 0)
    if draw <= sum then
      chosen = version
      break
    end
  end
end
if chosen == nil then
  ngx.log(ngx.ERR, "trafficctl: no weights in force for ", site.label, ": ",
    site.problem or "the weights add up to 0")
  return ngx.exit(ngx.HTTP_SERVICE_UNAVAILABLE)
end
ngx.var.trafficctl_version = chosen
ngx.var.trafficctl_pool = site.pools[chosen]
