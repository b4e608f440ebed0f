-- GET: the weights in force. POST or PUT: "version weight" lines for known versions, 0..100,
-- adding up to 100, put in force for every worker through the shared dict. No reload. The
-- router writes the state file before it posts; nginx's workers never write files.
local function reply(status, text)
  ngx.status = status
  ngx.header["Content-Type"] = "text/plain"
  ngx.print(text)
  return ngx.exit(ngx.HTTP_OK)
end
local method = ngx.req.get_method()
if method == "GET" or method == "HEAD" then
  return reply(200, site.weights() or "")
end
if method ~= "POST" and method ~= "PUT" then
  ngx.header["Allow"] = "GET, POST, PUT"
  return reply(405, "GET reads the weights; POST or PUT sets them\n")
end
ngx.req.read_body()
local body = ngx.req.get_body_data() or ""
local by, total, problems = {}, 0, {}
for line in string.gmatch(body, "[^\r\n]+") do
  if string.match(line, "%S") and not string.match(line, "^%s*#") then
    local version, weight = string.match(line, "^%s*([%w.-]+)%s+(%d+)%s*$")
    weight = tonumber(weight)
    if version == nil then
      problems[#problems + 1] = "not a \"version weight\" line: " .. line
    elseif site.pools[version] == nil then
      problems[#problems + 1] = "unknown version " .. version
        .. " (versions: " .. table.concat(site.order, ", ") .. ")"
    elseif by[version] ~= nil then
      problems[#problems + 1] = "version " .. version .. " given twice"
    elseif weight > 100 then
      problems[#problems + 1] = "weight of " .. version .. " is " .. weight .. ", not 0..100"
    else
      by[version] = weight
      total = total + weight
    end
  end
end
if #problems == 0 and total ~= 100 then
  problems[#problems + 1] = "weights add up to " .. total .. ", not 100"
end
if #problems > 0 then
  return reply(400, table.concat(problems, "; ") .. "\n")
end
local text = site.format(by)
site.dict:set(site.weights_key, text)
site.weights()
ngx.log(ngx.NOTICE, "trafficctl: weights of ", site.label, " set to ",
  (string.gsub(text, "\n", " ")), "reason: ", ngx.var.http_x_trafficctl_reason or "-")
return reply(200, text)
