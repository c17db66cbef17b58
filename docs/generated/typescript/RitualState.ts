// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { RitualStep } from './RitualStep'
import { RitualSeat } from './RitualSeat'

export class RitualState extends Schema {
    @type("string") public roomStatus!: string;
    @type("uint32") public tick!: number;
    @type("uint8") public tickHz!: number;
    @type("string") public status!: string;
    @type("string") public ritualId!: string;
    @type("string") public ritualName!: string;
    @type("string") public contentVersion!: string;
    @type([ RitualStep ]) public steps: ArraySchema<RitualStep> = new ArraySchema<RitualStep>();
    @type("uint8") public stepIndex!: number;
    @type("string") public stepRite!: string;
    @type("int8") public stepSeat!: number;
    @type("string") public stepPlayerId!: string;
    @type("uint16") public windowEarliest!: number;
    @type("uint16") public windowLatest!: number;
    @type("uint32") public anchorTick!: number;
    @type("uint32") public opensAtTick!: number;
    @type("uint32") public closesAtTick!: number;
    @type("uint8") public missteps!: number;
    @type("uint8") public allowedMissteps!: number;
    @type("uint16") public points!: number;
    @type("uint16") public score!: number;
    @type("string") public outcome!: string;
    @type("string") public endReason!: string;
    @type("string") public omen!: string;
    @type([ "string" ]) public codexEntries: ArraySchema<string> = new ArraySchema<string>();
    @type([ "string" ]) public anointments: ArraySchema<string> = new ArraySchema<string>();
    @type({ map: RitualSeat }) public seats: MapSchema<RitualSeat> = new MapSchema<RitualSeat>();
}
