const {parse}=require('@typescript-eslint/typescript-estree');const fs=require('fs');
const files=['/work/main/node_modules/typescript/lib/typescript.js','/work/main/node_modules/prettier/index.mjs','/work/main/node_modules/lodash/lodash.js'];
const texts=files.map(f=>fs.readFileSync(f,'utf8'));
const base={loc:false,range:true,comment:false,tokens:false,jsx:true};
const fast={...base,jsDocParsingMode:'none',loggerFn:false,suppressDeprecatedPropertyWarnings:true};
for(let r=0;r<5;r++)for(const [n,o] of [['base',base],['fast',fast]]){const c=process.cpuUsage();for(const t of texts)parse(t,o);const u=process.cpuUsage(c);console.log(n,((u.user+u.system)/1000).toFixed(0));}
