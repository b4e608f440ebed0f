-- Per worker, once: this service's pools and weights. The weights live in the shared dict (all
-- workers, survives reloads); after nginx starts, the first request loads the state file, which
-- the router writes (nginx only reads it).
local site = package.loaded[@KEY@]
if site == nil then
  site = {
    dict = ngx.shared[@DICT@],
    state = @STATE@,
    label = @LABEL@,
    pools = {
@POOLS@
    },
    order = { @ORDER@ },
    by = {},
    total = 0,
  }
  -- "version weight" lines: known versions only, each once.
  function site.parse(text)
    local by = {}
    for line in string.gmatch(text or "", "[^\r\n]+") do
      local version, weight = string.match(line, "^%s*([%w.-]+)%s+(%d+)%s*$")
      if version ~= nil and site.pools[version] ~= nil and by[version] == nil then
        by[version] = tonumber(weight)
      end
    end
    return by
  end
  function site.format(by)
    local lines = {}
    for _, version in ipairs(site.order) do
      if by[version] ~= nil then
        lines[#lines + 1] = version .. " " .. by[version] .. "\n"
      end
    end
    return table.concat(lines)
  end
  -- The weights in force as text; site.by and site.total follow it.
  function site.weights()
    local raw = site.dict:get("weights")
    if raw == nil then
      local file, err = io.open(site.state, "r")
      if file == nil then
        site.problem = err
        return nil
      end
      local text = file:read("*a")
      file:close()
      -- add, not set: another worker may have loaded it, or the admin set it, meanwhile.
      site.dict:add("weights", site.format(site.parse(text)))
      raw = site.dict:get("weights")
    end
    if raw ~= site.raw then
      local by, total = site.parse(raw), 0
      for _, weight in pairs(by) do
        total = total + weight
      end
      site.raw, site.by, site.total = raw, by, total
    end
    return raw
  end
  math.randomseed(ngx.now() * 1000 + ngx.worker.pid())
  package.loaded[@KEY@] = site
end
