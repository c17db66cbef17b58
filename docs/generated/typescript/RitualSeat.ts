// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class RitualSeat extends Schema {
    @type("string") public playerId!: string;
    @type("uint8") public seat!: number;
    @type("int32") public lastChannelTick!: number;
    @type("string") public lastRef!: string;
}
