local sticky = ngx.var[@COOKIE_VAR@]
if chosen == nil and sticky ~= nil and (site.by[sticky] or 0) > 0 then
  chosen = sticky
end
