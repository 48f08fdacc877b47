-- bench/search.lua: wrk cycles through the 20 queries of bench/bench_search.c, URL-encoded,
-- asking for the first page of 20 as the citizen portal does.
local queries = {
  "khai+sinh", "dang+ky+ket+hon", "dang+ky+khai+tu", "sua+loi+sai+sot+giao+dich", "tam+tru",
  "giay+phep+xay+dung+nha+o", "cap+doi+the+can+cuoc", "ly+lich+tu+phap", "nhan+cha+me+con",
  "khai+sihn",
  "ch%E1%BB%A9ng+th%E1%BB%B1c+b%E1%BA%A3n+sao",
  "%C4%91%C4%83ng+k%C3%BD+th%C6%B0%E1%BB%9Dng+tr%C3%BA",
  "h%E1%BB%99+kinh+doanh",
  "c%E1%BA%A5p+l%E1%BA%A1i+gi%E1%BA%A5y+ch%E1%BB%A9ng+nh%E1%BA%ADn+b%E1%BB%8B+m%E1%BA%A5t",
  "x%C3%A1c+nh%E1%BA%ADn+t%C3%ACnh+tr%E1%BA%A1ng+h%C3%B4n+nh%C3%A2n",
  "tr%C3%ADch+l%E1%BB%A5c+h%E1%BB%99+t%E1%BB%8Bch",
  "ch%E1%BB%A9ng+th%E1%BB%B1c+di+ch%C3%BAc",
  "%C4%91%C4%83ng+k%C3%BD+l%E1%BA%A1i+khai+sinh",
  "ch%E1%BA%A5m+d%E1%BB%A9t+h%E1%BB%99+kinh+doanh",
  "lu%E1%BA%ADt+s%C6%B0",
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/procedures?limit=20&q=" .. queries[i])
end
