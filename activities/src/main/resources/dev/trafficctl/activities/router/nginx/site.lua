-- Per worker, once: this service's pools, weights and routing rules. The weights live in the
-- shared dict (all workers, survives reloads) under this rendering's own key: after a reload, the
-- new workers do not draw from the weights the old configuration had (its routing rules and pools
-- may differ) but load the state file, which the router writes before it reloads (nginx only reads
-- it); the old workers finish with their own. After nginx starts, the first request loads it too.
local site = package.loaded[@KEY@]
if site == nil then
  -- Rendered from the catalog and the routing rules: data only, read by the code below and by
  -- flag.lua and pick.lua.
  site = @SITE@
  site.dict = ngx.shared[site.key]
  -- The generation is the include's, from the map in its first lines.
  site.weights_key = "weights@" .. ngx.var[site.generation_variable]
  site.by, site.total = {}, 0
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
    local raw = site.dict:get(site.weights_key)
    if raw == nil then
      local file, err = io.open(site.state, "r")
      if file == nil then
        site.problem = err
        return nil
      end
      local text = file:read("*a")
      file:close()
      -- add, not set: another worker may have loaded it, or the admin set it, meanwhile.
      site.dict:add(site.weights_key, site.format(site.parse(text)))
      raw = site.dict:get(site.weights_key)
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
  package.loaded[site.key] = site
end
