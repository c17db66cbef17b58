// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class RitualStep extends Schema {
    @type("string") public rite!: string;
    @type("int8") public seat!: number;
    @type("uint16") public earliest!: number;
    @type("uint16") public latest!: number;
}
